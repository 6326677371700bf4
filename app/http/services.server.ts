// The process's shared services, handed by the edge (adminRoute, webhookRoute, /healthz) to
// domain verbs as arguments: route files never import the database or storage themselves.
import { db, type Db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";

export type Services = { db: Db; storage: ObjectStorage };

export function services(): Services {
  return { db, storage: appStorage() };
}

// Prisma CLI configuration. The CLI runs fully offline: no Rust engines are downloaded
// (engine "js" + a driver adapter; prisma/cli.mjs sets the environment it needs).
// The CLI only ever needs scratch databases (`migrate diff`), so it gets in-memory PGlite.
// Migrations are applied by the app itself (app/db/migrate.server.ts), on PGlite and PostgreSQL.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { PrismaConfig } from "prisma";

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;

/**
 * The schema engine replays migration files on the shadow database with `executeRaw` and no
 * parameters; PGlite refuses multi-statement prepared statements, so run those through `exec`.
 */
function scriptCapable(adapter: Adapter, db: PGlite): Adapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "executeRaw") {
        return async (query: Parameters<Adapter["executeRaw"]>[0]) => {
          if (query.args.length > 0) return target.executeRaw(query);
          await db.exec(query.sql);
          return 0;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const factory = new PrismaPGlite(new PGlite());
    // Cast: pglite-prisma-adapter 0.6 types come from an older driver-adapter-utils.
    return Object.assign(factory, {
      async connectToShadowDb() {
        const shadow = new PGlite();
        return scriptCapable(await new PrismaPGlite(shadow).connect(), shadow);
      },
    }) as unknown as SqlMigrationAwareDriverAdapterFactory;
  },
} satisfies PrismaConfig;

import type { Database } from "~/db.server";
import { env } from "~/env.server";

import { createBullmqQueue } from "./bullmq-queue.server";
import { createEmbeddedQueue } from "./embedded-queue.server";
import { setJobQueue, type JobQueue } from "./queue.server";

/** Picks the queue backend from the environment: BullMQ with REDIS_URL, else in-process. */
export function configureJobQueue(database: Database): JobQueue {
  const { redisUrl, jobConcurrency, jobQueueName } = env();
  const queue = redisUrl
    ? createBullmqQueue(database.prisma, { redisUrl, queueName: jobQueueName, concurrency: jobConcurrency })
    : createEmbeddedQueue(database.prisma, {
        concurrency: jobConcurrency,
        recoverOrphansOnStart: database.kind === "pglite",
      });
  setJobQueue(queue);
  return queue;
}

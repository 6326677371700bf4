import sharp from "sharp";

// Every upload is processed once; libvips' operation cache would only hold on to memory.
// Threads per pipeline stay at sharp's default (1 on glibc without jemalloc, which avoids
// heap fragmentation); parallelism comes from concurrent pipelines on libuv's pool.
sharp.cache(false);

export { sharp };

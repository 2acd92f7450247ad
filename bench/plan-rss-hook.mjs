/** Preloaded with `node --import` by the benchmarks: reports the process's peak RSS and CPU time on exit. */
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`bench:maxrss-kb ${usage.maxRSS}\n`);
  process.stderr.write(
    `bench:cpu-ms ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`,
  );
});

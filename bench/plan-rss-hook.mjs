/** Preloaded with `node --import` by plan-sandbox.mjs: reports the process's peak RSS on exit. */
process.on('exit', () => {
  process.stderr.write(`bench:maxrss-kb ${process.resourceUsage().maxRSS}\n`);
});

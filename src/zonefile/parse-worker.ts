/** Worker thread of parse-pool.ts: parses the batches of zone files it is sent. */
import { parentPort } from 'node:worker_threads';
import { parseZoneFile } from './parse.js';
import { pack, type ZoneSource } from './parse-pool.js';

const port = parentPort;
if (port) {
  port.on('message', (sources: ZoneSource[]) => {
    port.postMessage(sources.map((source) => pack(parseZoneFile(source.file, source.text))));
  });
  port.postMessage('ready');
}

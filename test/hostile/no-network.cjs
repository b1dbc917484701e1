// Preloaded into the CLI by the hostile-input test: any attempt to open a socket or resolve a host is
// recorded in the file named by NETWORK_LOG and then refused.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const log = process.env.NETWORK_LOG;
function refuse(what) {
  return function () {
    fs.appendFileSync(log, `${what}\n`);
    throw new Error(`network use refused: ${what}`);
  };
}
net.Socket.prototype.connect = refuse('net.Socket.connect');
net.connect = net.createConnection = refuse('net.connect');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) dns[name] = refuse(`dns.${name}`);
dns.promises.lookup = refuse('dns.promises.lookup');
for (const module of ['node:http', 'node:https']) {
  const m = require(module);
  m.request = m.get = refuse(`${module}.request`);
}
globalThis.fetch = refuse('fetch');

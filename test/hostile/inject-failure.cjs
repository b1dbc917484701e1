// Preloaded into the CLI to stand for a bug no input should reach: the first step of parsing a template throws
// when the template holds INJECTED_FAILURE. The run must still end as exit 2 with one line naming the file.
'use strict';
const trim = String.prototype.trim;
String.prototype.trim = function () {
  if (this.includes('INJECTED_FAILURE')) throw new TypeError('injected failure');
  return trim.call(this);
};

/**
 * jest's order of test files. With run times from an earlier run (in its cache) jest starts the
 * longest first; without them (a fresh clone) it goes by file size, and an end-to-end file that
 * waits on real time for a minute and more could start last and end the run alone. So files it has
 * no run time for start end-to-end ones first, each group still in jest's order.
 */
const { sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const endToEnd = (test) => test.path.includes(`${sep}e2e${sep}`);

class EndToEndFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const first = sorted.filter((t) => t.duration == null && endToEnd(t));
    return [...first, ...sorted.filter((t) => !first.includes(t))];
  }
}

module.exports = EndToEndFirst;

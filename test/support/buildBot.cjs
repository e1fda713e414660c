/** jest's global set-up: bundles dist/main.js the way `npm start` does, once, before the tests that run it. */
const { execFileSync } = require('node:child_process');

module.exports = function buildBot() {
  execFileSync('npm', ['run', '--silent', 'build:bot'], { stdio: 'inherit' });
};

// Records the page's JavaScript errors in a DOM attribute, so that a test (or a person with devtools closed) can
// see them: data-js-errors on <html> holds a JSON array of messages.
const errors = [];

function record(message) {
  errors.push(String(message));
  document.documentElement.dataset.jsErrors = JSON.stringify(errors);
}

window.addEventListener('error', (event) => record(event.message || event.type));
window.addEventListener('unhandledrejection', (event) => record(event.reason && event.reason.stack || event.reason));
const consoleError = console.error.bind(console);
console.error = (...args) => {
  record(args.map(String).join(' '));
  consoleError(...args);
};
document.documentElement.dataset.jsErrors = '[]';

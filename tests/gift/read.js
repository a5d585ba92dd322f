// Reads a GIFT document on standard input with gift-pegjs (a PEG grammar of the format as
// Moodle reads it) and prints what it read as JSON; a syntax error exits 1 with its place.
"use strict";
const { parse } = require("gift-pegjs");
const fs = require("fs");

const text = fs.readFileSync(0, "utf8");
try {
  process.stdout.write(JSON.stringify(parse(text)));
} catch (e) {
  const at = e.location ? `${e.location.start.line}:${e.location.start.column}: ` : "";
  process.stderr.write(`${at}${e.message}\n`);
  process.exit(1);
}

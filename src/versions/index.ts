export * from "./compare.js";
export * from "./downloads.js";
export * from "./known-bad.js";
export * from "./releases.js";

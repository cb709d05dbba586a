export { App } from "./App.js";
export { connect, type Connection } from "./data.js";

export * from "./french.ts";

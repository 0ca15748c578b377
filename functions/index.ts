/**
 * Entry point for the Azure Functions host (package.json "main" of the deployed app): registers the same
 * definitions the local runner serves.
 */
import functions from "@azure/functions";
import { createServices, type Services } from "./app/services.ts";
import { definitions } from "./definitions.ts";
import { createLogSink, withSafeLogs } from "./security/log-sink.ts";

const { app } = functions; // CommonJS package: named exports are not statically visible to ESM
let services: Services | undefined;
const lazy = () => (services ??= createServices(process.env));

// Every context.log line goes through the redacting sink before it reaches Application Insights.
const sink = createLogSink();
for (const d of definitions(lazy)) {
  if (d.kind === "http") {
    app.http(d.name, { route: d.route, methods: d.methods, authLevel: "anonymous", handler: withSafeLogs(sink, d.handler) });
  } else if (d.kind === "queue") {
    app.storageQueue(d.name, { queueName: d.queueName, connection: d.connection, handler: withSafeLogs(sink, d.handler) });
  } else {
    // runOnStartup stays false: it would fire on every scale-out and restart.
    app.timer(d.name, { schedule: d.schedule, runOnStartup: false, handler: withSafeLogs(sink, d.handler) });
  }
}

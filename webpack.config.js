// Builds the Excel add-in into dist/addin/: the task pane (React + Fluent UI v9), the ribbon commands and the custom
// functions (shared runtime: taskpane.html hosts all three), custom-functions.json generated from the JSDoc of
// addin/custom-functions/custom-functions.ts, the icons and the manifest with its origin rewritten for production.
//   ADDIN_URL=https://paie.example.mc/ npx webpack --mode production  → the production manifest points at that origin
//   npx webpack --mode production --env local      → a production bundle for https://localhost:3000/ (tests, sideloading)
// A production build without ADDIN_URL is refused: a manifest pointing at localhost must never be published by mistake.

import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import CopyWebpackPlugin from "copy-webpack-plugin";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { transform } from "esbuild";
import HtmlWebpackPlugin from "html-webpack-plugin";
import compilerWebpack from "webpack";
import { contentSecurityPolicy } from "./addin/build/csp.mjs";

const root = path.dirname(fileURLToPath(import.meta.url));
const DEV_ORIGIN = "https://localhost:3000/";
/** First load of the pane (all its initial chunks, minified). */
const PANE_BUDGET_BYTES = 1.5 * 1024 * 1024;

class CustomFunctionsMetadataPlugin {
  constructor(source) {
    this.source = source;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("CustomFunctionsMetadata", (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        { name: "CustomFunctionsMetadata", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        async () => {
          // The CLI exits 0 on errors (ecosystem.md §2.6): use the API and fail the build ourselves.
          const out = await generateCustomFunctionsMetadata(this.source, false);
          if (out.errors.length > 0) {
            for (const e of out.errors) compilation.errors.push(new compiler.webpack.WebpackError(`custom-functions.json: ${e}`));
            return;
          }
          compilation.emitAsset("custom-functions.json", new compiler.webpack.sources.RawSource(out.metadataJson));
        },
      );
      compilation.fileDependencies?.add?.(this.source);
    });
  }
}

/** Minifies emitted JavaScript with esbuild (terser needed ~a minute for Fluent UI on a 2-core machine). */
class EsbuildMinifyPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("EsbuildMinify", (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        { name: "EsbuildMinify", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE },
        async (assets) => {
          for (const name of Object.keys(assets)) {
            if (!name.endsWith(".js")) continue;
            const out = await transform(assets[name].source().toString(), { minify: true, target: "es2020", legalComments: "none" });
            compilation.updateAsset(name, new compiler.webpack.sources.RawSource(out.code));
          }
        },
      );
    });
  }
}

class PaneBudgetPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("PaneBudget", (compilation) =>
      compilation.hooks.processAssets.tap({ name: "PaneBudget", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const entry = compilation.entrypoints.get("taskpane");
        if (!entry) return;
        let bytes = 0;
        let gzip = 0;
        for (const file of entry.getFiles()) {
          const source = compilation.getAsset(file)?.source.buffer();
          if (!source) continue;
          bytes += source.length;
          gzip += zlib.gzipSync(source).length;
        }
        const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
        console.log(`[paie] premier chargement du volet : ${kb(bytes)} minifié, ${kb(gzip)} gzip (budget ${kb(PANE_BUDGET_BYTES)})`);
        if (compiler.options.mode === "production" && bytes > PANE_BUDGET_BYTES) {
          compilation.errors.push(new compiler.webpack.WebpackError(`Volet : ${kb(bytes)} dépasse le budget de ${kb(PANE_BUDGET_BYTES)}`));
        }
      }),
    );
  }
}

/**
 * API and sign-in settings baked into the pane (addin/api/config.ts): PAIE_API_URL (default the local function
 * host), PAIE_CLIENT_ID (the add-in's Entra ID app; without it the pane runs in local mode, no token),
 * PAIE_AUTHORITY, PAIE_API_SCOPE (api://<api-client-id>/Payroll.ReadWrite), PAIE_AUTH_MODE (local|msal),
 * PAIE_COMPANY_ID (preselected company).
 */
function paneConfig(env) {
  const get = (k) => process.env[k] ?? env[k];
  const out = {
    mode: get("PAIE_AUTH_MODE") ?? (get("PAIE_CLIENT_ID") ? "msal" : "local"),
    apiBase: get("PAIE_API_URL") ?? "http://127.0.0.1:7071",
    clientId: get("PAIE_CLIENT_ID") ?? "",
    authority: get("PAIE_AUTHORITY") ?? "https://login.microsoftonline.com/organizations",
    scope: get("PAIE_API_SCOPE") ?? "",
  };
  if (get("PAIE_COMPANY_ID")) out.companyId = get("PAIE_COMPANY_ID");
  return out;
}

export default (env = {}, argv = {}) => {
  const production = argv.mode === "production";
  const origin = process.env.ADDIN_URL || env.ADDIN_URL || DEV_ORIGIN;
  if (!/^https:\/\/[^/]+\/$/.test(origin)) throw new Error(`ADDIN_URL doit être une origine https terminée par « / » : ${origin}`);
  if (production && !env.local && /^https:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\/$/.test(origin))
    throw new Error(
      `Build de production refusé : le manifeste pointerait sur ${origin}. Indiquez l'origine publiée (ADDIN_URL=https://paie.example.mc/ npm run build) ; pour un essai local : npx webpack --mode production --env local`,
    );
  const outDir = path.resolve(root, env.OUT_DIR ?? process.env.ADDIN_OUT_DIR ?? "dist/addin");
  const cspMeta = { csp: { "http-equiv": "Content-Security-Policy", content: contentSecurityPolicy(paneConfig(env).apiBase) } };
  return {
    context: root,
    mode: production ? "production" : "development",
    devtool: production ? false : "source-map",
    entry: {
      taskpane: "./addin/taskpane/index.tsx",
      "custom-functions": "./addin/custom-functions/custom-functions.ts",
      auth: "./addin/auth/dialog.ts",
    },
    output: {
      path: outDir,
      filename: "[name].js",
      chunkFilename: "[name].[contenthash:8].js",
      clean: true,
      assetModuleFilename: "assets/[name].[contenthash:8][ext]",
    },
    resolve: { extensions: [".ts", ".tsx", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          // Types are checked by `tsc --noEmit` over the repo; the bundle only needs transpiling.
          use: { loader: path.resolve(root, "addin/build/esbuild-loader.cjs") },
        },
        // shared/ modules only declare functions and constants: flagging them side-effect free lets webpack drop
        // what the pane never calls (journal.ts also renders PDFs; pdf-lib must not reach the first load).
        { test: /[\\/]shared[\\/].*\.ts$/, sideEffects: false },
      ],
    },
    optimization: { minimize: false },
    performance: { hints: production ? "warning" : false, maxEntrypointSize: PANE_BUDGET_BYTES, maxAssetSize: PANE_BUDGET_BYTES },
    plugins: [
      new HtmlWebpackPlugin({ filename: "taskpane.html", template: "./addin/taskpane/taskpane.html", chunks: ["taskpane"], meta: cspMeta }),
      new HtmlWebpackPlugin({ filename: "auth.html", template: "./addin/auth/auth.html", chunks: ["auth"], meta: cspMeta }),
      new compilerWebpack.DefinePlugin({ __PAIE_CONFIG__: JSON.stringify(paneConfig(env)) }),
      new CustomFunctionsMetadataPlugin(path.resolve(root, "addin/custom-functions/custom-functions.ts")),
      ...(production ? [new EsbuildMinifyPlugin()] : []),
      new PaneBudgetPlugin(),
      new CopyWebpackPlugin({
        patterns: [
          { from: "addin/assets/*.png", to: "assets/[name][ext]" },
          { from: "addin/aide.html", to: "aide.html" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => (origin === DEV_ORIGIN ? content : content.toString().replaceAll(DEV_ORIGIN, origin)),
          },
        ],
      }),
    ],
    devServer: {
      port: 3000,
      static: { directory: outDir },
      headers: { "Access-Control-Allow-Origin": "*" },
      // HTTPS certificates: generate them with office-addin-dev-certs on a workstation and pass --server-type https.
    },
  };
};

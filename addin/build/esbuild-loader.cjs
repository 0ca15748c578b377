// Webpack loader: TypeScript/TSX → JavaScript with esbuild (types are checked separately by `tsc --noEmit`).
// ts-loader took ~90 s for the pane on CI-sized machines; esbuild takes a couple of seconds.
const { transform } = require("esbuild");

module.exports = function esbuildLoader(source) {
  const done = this.async();
  const loader = this.resourcePath.endsWith(".tsx") ? "tsx" : "ts";
  transform(source, {
    loader,
    jsx: "automatic",
    target: "es2020",
    format: "esm",
    sourcemap: this.sourceMap ? "external" : false,
    sourcefile: this.resourcePath,
  })
    .then((out) => done(null, out.code, out.map || undefined))
    .catch(done);
};

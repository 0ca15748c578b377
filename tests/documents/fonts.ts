/** Tests read the fonts with the same Node-only loader the functions app uses. */
export { loadDocumentFonts as loadFonts } from "../../functions/documents/fonts.ts";

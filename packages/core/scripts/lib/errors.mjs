/** A problem in the catalog or the patch layer that codegen refuses to paper over. */
export class CodegenError extends Error {}

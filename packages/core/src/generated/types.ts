// placeholder until codegen runs
export interface TopApiMap {}

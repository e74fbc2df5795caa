// The CLI is being written; this entry point keeps the solution building meanwhile.
return 0;

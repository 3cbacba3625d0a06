// What a shopper types as an amount in yuan ("100", "100.5", "¥1,000.00") → integer fen; the parser
// is the kernel's (server/money.ts), shared with the back office's 元 inputs and CSV filters.
export { yuanInputToFen } from "@/server/money";

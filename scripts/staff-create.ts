// npm run staff:create [-- --username boss --name 店主 --password '…'] [--force-another]
// Creates the first owner account of a fresh installation (asks for what the flags do not give).
// Refuses when an owner already exists, unless --force-another. The owner enrols TOTP at first sign-in.
import { createInterface } from "node:readline/promises";
import { stdin, stdout } from "node:process";
import { openDatabase } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { createOwnerAccount } from "../server/staff/accounts";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function ask(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: stdin, output: stdout, terminal: true });
  if (hidden) {
    // Do not echo the password.
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => write.call(rl, s.startsWith(question) ? s : "");
  }
  const answer = await rl.question(question);
  rl.close();
  if (hidden) stdout.write("\n");
  return answer.trim();
}

const username = flag("username") ?? (await ask("用户名 username: "));
const displayName = flag("name") ?? (await ask("姓名 display name: "));
let password = flag("password");
if (!password) {
  password = await ask("密码 password (≥ 10): ", true);
  if ((await ask("再输入一次 again: ", true)) !== password) {
    console.error("passwords do not match");
    process.exit(2);
  }
}

const db = await openDatabase({ dataDir: process.env.PGLITE_DIR || undefined });
try {
  const owner = await inTx(db.prisma, { now: new Date() }, (ctx) =>
    createOwnerAccount(ctx, { username, displayName, password: password! }, { allowAnother: process.argv.includes("--force-another") }),
  );
  console.log(`created owner account "${owner.username}" (id ${owner.id}); sign in at /merchant/login and enrol TOTP.`);
} catch (err) {
  if (err instanceof DomainError) {
    console.error(`refused: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.close();
}

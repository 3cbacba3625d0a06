// The staff password rules as numbers, without the hashing (argon2 is native): the account page states them before a save.
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
/** Fewer different characters than this is 密码过于简单 (aaaaaaaaaa, 1212121212). */
export const PASSWORD_MIN_DISTINCT = 5;

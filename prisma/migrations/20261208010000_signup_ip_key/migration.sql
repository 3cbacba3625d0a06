-- The sign-up risk rules' "one IP" (SPEC §8 shared_ip, ip_burst) is the SMS limit's key (ipRateKey, server/auth/otp.ts):
-- an IPv6 subscriber has a whole /64 and rotates privacy addresses in it. signupIp stays as the evidence.
-- AlterTable
ALTER TABLE "Member" ADD COLUMN "signupIpKey" TEXT;

-- Backfill with ipRateKey's exact result: an IPv4 address itself (also IPv4-mapped), an IPv6 address its /64 with four
-- groups ("2001:db8:0:0::/64"), anything else the text as given (lower case, no zone); tests/signup-ip-key.test.ts.
CREATE FUNCTION pg_temp.signup_ip_key(ip text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  a text := lower(regexp_replace(btrim(ip), '%.*$', ''));
  v inet;
BEGIN
  IF position(':' IN a) = 0 OR position('/' IN a) > 0 THEN RETURN a; END IF;
  BEGIN
    v := a::inet;
  EXCEPTION WHEN invalid_text_representation THEN
    RETURN a;
  END;
  IF v << '::ffff:0:0/96'::inet THEN RETURN host('0.0.0.0'::inet + (v - '::ffff:0:0'::inet)); END IF;
  -- The /64's text is its non-zero head then "::" (the zero tail is the longest run): pad the head to four groups.
  RETURN array_to_string((string_to_array(split_part(host(network(set_masklen(v, 64))), '::', 1), ':') || array_fill('0'::text, ARRAY[4]))[1:4], ':') || '::/64';
END $$;

UPDATE "Member" SET "signupIpKey" = pg_temp.signup_ip_key("signupIp") WHERE "signupIp" IS NOT NULL;

DROP FUNCTION pg_temp.signup_ip_key(text);

-- CreateIndex
CREATE INDEX "Member_signupIpKey_createdAt_idx" ON "Member"("signupIpKey", "createdAt");

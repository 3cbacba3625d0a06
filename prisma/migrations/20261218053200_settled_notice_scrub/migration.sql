-- A level-2/3 commission's settled notice names no order any more (its buyer was invited by someone else, PIPL): the ones
-- stored before, keyed (commission.settled) or from before keys (their text only), are rewritten to commission.settledTeam
-- as server/commission settleDueCommissions writes it now, text and parameters; a WeChat message of one still queued goes
-- out so worded (one already sent reached the member as it was: its record is left as sent).
WITH old AS (
  SELECT id,
    CASE WHEN key IS NULL
      THEN jsonb_build_object(
        'level', substring(body FROM '^订单 \S+ 的 ([23]) 级佣金')::int,
        'amountFen', replace(substring(body FROM '¥([0-9]+\.[0-9]{2}) '), '.', '')::int)
      ELSE params - 'orderNo'
    END AS params
  FROM "Notification"
  WHERE kind = 'commission'
    AND ((key = 'commission.settled' AND params->>'level' IN ('2', '3'))
      OR (key IS NULL AND body ~ '^订单 \S+ 的 [23] 级佣金 ¥[0-9]+\.[0-9]{2} 已转入可提现余额$'))
), scrubbed AS (
  -- notice.commission.settledTeam.body (zh-CN): {levelWord}好友订单的佣金 ¥{amount} 已转入可提现余额, levelWord notice.level.2/3.
  UPDATE "Notification" n
  SET key = 'commission.settledTeam',
      params = old.params,
      body = CASE old.params->>'level' WHEN '2' THEN '间推' ELSE '再推' END || '好友订单的佣金 ¥'
        || ((old.params->>'amountFen')::int / 100)::text || '.' || lpad(((old.params->>'amountFen')::int % 100)::text, 2, '0')
        || ' 已转入可提现余额'
  FROM old
  WHERE n.id = old.id
  RETURNING n.id, n.body
)
-- thing2 holds at most 20 characters (server/wechat/subscribe.ts thing).
UPDATE "ChannelMessage" m
SET payload = jsonb_set(m.payload, '{data,thing2,value}', to_jsonb(CASE WHEN char_length(s.body) > 20 THEN substr(s.body, 1, 19) || '…' ELSE s.body END))
FROM scrubbed s
WHERE m."notificationId" = s.id AND m.status = 'PENDING' AND m.payload #> '{data,thing2}' IS NOT NULL;

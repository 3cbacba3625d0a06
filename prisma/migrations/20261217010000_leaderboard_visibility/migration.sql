-- 在排行榜中显示我: a member may leave the monthly distributor leaderboard other members see. Shown by default, as
-- merchants expect a populated board; a constant default adds the column without rewriting the table.
ALTER TABLE "Member" ADD COLUMN "showOnLeaderboard" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "bindingRefusal" TEXT;

-- Members still carrying the old placeholder name (会员 + the phone's last four digits) get the friendly default
-- name of server/members/profile.ts (defaultDisplayName; tests/member-profile.test.ts checks this statement matches it).
UPDATE "Member" SET nickname = (ARRAY['快乐','开心','阳光','温柔','勇敢','聪明','可爱','淡定','活力','机灵','悠闲','热情','安静','乐观','自在','灵动','甜甜','暖暖','酷酷','萌萌','闪亮','元气','清新','率真','爽朗','俏皮','稳重','好奇','认真','幸运','欢喜','逍遥'])[((id::bigint * 7919 + 13) % 1024) % 32 + 1] || (ARRAY['熊猫','海豚','小鹿','松鼠','白鸽','锦鲤','白鹭','企鹅','柴犬','橘猫','海鸥','兔子','海獭','云雀','黄鹂','喜鹊','骏马','山羊','小象','狐狸','刺猬','蜜蜂','蝴蝶','鲸鱼','丹鹤','飞燕','羊驼','猎豹','海龟','葵花','青松','竹子'])[((id::bigint * 7919 + 13) % 1024) / 32 + 1] WHERE nickname ~ '^会员[0-9]{4}$';

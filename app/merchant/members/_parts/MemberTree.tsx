"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { useTRPC } from "@/trpc/react";
import { useTierLabel } from "../MemberList";
import { AccountBadge } from "./AccountBadge";

interface Node {
  id: number;
  name: string;
  tier: string;
  frozen: boolean;
  deletedAt: Date | null;
  teamSize: number;
}

/** One node's direct downline, fetched the first time the node is opened (a page of 50 at a time). */
function Children({ id, depth }: { id: number; depth: number }) {
  const t = useT();
  const trpc = useTRPC();
  const q = useInfiniteQuery(trpc.merchantMember.children.infiniteQueryOptions({ id }, { getNextPageParam: (last) => last.nextAfterId, initialCursor: null }));
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <ul className="ml-4 border-l border-neutral-200 pl-2">
      {rows.map((m) => <TreeNode key={m.id} node={m} depth={depth} />)}
      {q.hasNextPage ? (
        <li>
          <button type="button" className="text-xs text-sky-700" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            {t("mm.downline.more")}
          </button>
        </li>
      ) : null}
      {q.isPending ? <li className="text-xs text-neutral-400">…</li> : null}
    </ul>
  );
}

function TreeNode({ node, depth }: { node: Node; depth: number }) {
  const t = useT();
  const tierLabel = useTierLabel();
  const [open, setOpen] = useState(false);
  const leaf = node.teamSize === 0;
  return (
    <li className="py-0.5" data-testid="tree-node" data-member-id={node.id}>
      <div className="flex items-center gap-2">
        <button
          type="button"
          className="w-4 text-neutral-400 disabled:opacity-30"
          disabled={leaf}
          aria-expanded={leaf ? undefined : open}
          aria-label={open ? t("mm.tree.collapse") : t("mm.tree.expand")}
          onClick={() => setOpen((o) => !o)}
          data-testid="tree-toggle"
        >
          {leaf ? "·" : open ? "▾" : "▸"}
        </button>
        <span className="w-10 text-xs text-neutral-400">L{depth}</span>
        <Link href={`/merchant/members/${node.id}`} className="text-sky-700 hover:underline">{node.name}</Link>
        <span className="text-xs text-neutral-400">#{node.id} · {tierLabel(node.tier)} · {t("mm.tree.team", { n: node.teamSize })}</span>
        <AccountBadge frozen={node.frozen} deletedAt={node.deletedAt} />
      </div>
      {open ? <Children id={node.id} depth={depth + 1} /> : null}
    </li>
  );
}

/** The downline as a tree rooted at the member: every level is fetched only when opened (fast for any team size). */
export function MemberTree({ id, teamSize }: { id: number; teamSize: number }) {
  const t = useT();
  if (teamSize === 0) return <p className="text-neutral-400">{t("mm.downline.none")}</p>;
  return (
    <div data-testid="member-tree">
      <Children id={id} depth={1} />
    </div>
  );
}

"use client";
// A tab bar that scrolls sideways on a narrow phone: opened on a later tab (a link to /orders?tab=refund),
// the current tab is scrolled into view instead of waiting off-screen.
import { useEffect, useRef, type ComponentProps } from "react";

export function ScrollingTabs(props: ComponentProps<"nav">) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const nav = ref.current;
    const current = nav?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!nav || !current) return;
    // Only the bar scrolls (scrollIntoView would also scroll the page to the sticky bar).
    const left = current.getBoundingClientRect().left - nav.getBoundingClientRect().left + nav.scrollLeft;
    const width = current.offsetWidth;
    if (left < nav.scrollLeft || left + width > nav.scrollLeft + nav.clientWidth) nav.scrollLeft = left - (nav.clientWidth - width) / 2;
  });
  return <nav ref={ref} {...props} />;
}

export { default } from "@/app/_lib/trpc-layout";

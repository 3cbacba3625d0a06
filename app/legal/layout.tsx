export { default } from "@/app/_lib/shop-layout";

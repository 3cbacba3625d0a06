// ESLint flat config: typescript-eslint (type-aware where cheap), React hooks rules, Next.js rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "server/db/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "bench/results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Pages and components run in the browser, and so do the server schemas they import: zod comes from
    // lib/zod-client (CSP-safe, and kept out of the shop's bundle).
    files: [
      "app/**/*.{ts,tsx}",
      "components/**/*.{ts,tsx}",
      "server/aftersales/schema.ts",
      "server/catalog/schema.ts",
      "server/config/schema.ts",
      "server/orders/shipping-schema.ts",
      "server/simulator/population.ts",
      "server/wallet/review.ts",
      "server/wallet/schemas.ts",
      "server/validation.ts",
    ],
    rules: { "no-restricted-imports": ["error", { paths: [{ name: "zod", message: "import { z } from \"@/lib/zod-client\"", allowTypeImports: true }] }] },
  },
  {
    // Node scripts (CommonJS-free ESM) and config files run outside the browser.
    files: ["scripts/**", "*.config.*", "bench/**"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);

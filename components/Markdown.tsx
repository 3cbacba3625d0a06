// Merchant-written Markdown (product descriptions), rendered safely: raw HTML is dropped, links may
// only be http(s) or site paths, pictures only our own files; no script can get through.
import ReactMarkdown, { type Components } from "react-markdown";

function safeLink(url: string): string {
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  return /^https?:\/\//i.test(url) ? url : "";
}
function safeImage(url: string): string {
  return /^\/(media|products)\/[A-Za-z0-9._\-/]+$/.test(url) && !url.includes("..") ? url : "";
}

const components: Components = {
  h1: ({ children }) => <h3 className="mt-3 text-base font-semibold text-neutral-800">{children}</h3>,
  h2: ({ children }) => <h3 className="mt-3 text-base font-semibold text-neutral-800">{children}</h3>,
  h3: ({ children }) => <h4 className="mt-2 text-sm font-semibold text-neutral-800">{children}</h4>,
  p: ({ children }) => <p className="my-1.5">{children}</p>,
  ul: ({ children }) => <ul className="my-1.5 list-disc pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-1.5 list-decimal pl-5">{children}</ol>,
  blockquote: ({ children }) => <blockquote className="my-2 border-l-2 border-neutral-200 pl-3 text-neutral-500">{children}</blockquote>,
  a: ({ href, children }) =>
    href ? (
      <a href={href} className="text-rose-600 underline" rel="nofollow noopener noreferrer" target={href.startsWith("/") ? undefined : "_blank"}>
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // eslint-disable-next-line @next/next/no-img-element
  img: ({ src, alt }) => (typeof src === "string" && src ? <img src={src} alt={alt ?? ""} className="my-2 w-full rounded-lg" loading="lazy" /> : null),
};

export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  return (
    <div className={className} data-testid="markdown">
      <ReactMarkdown skipHtml components={components} urlTransform={(url, key) => (key === "src" ? safeImage(url) : safeLink(url))}>
        {text}
      </ReactMarkdown>
    </div>
  );
}

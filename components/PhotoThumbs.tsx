// A row of uploaded pictures as thumbnails, each opening the full picture (refund-request photos).
import { thumbnailUrl } from "@/server/storage/urls";

export function PhotoThumbs({ urls, label, size = "h-14 w-14" }: { urls: string[]; label: string; size?: string }) {
  if (urls.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1.5" aria-label={label} data-testid="photo-thumbs">
      {urls.map((url, i) => (
        <li key={url}>
          <a href={url} target="_blank" rel="noopener noreferrer">
            <img src={thumbnailUrl(url) ?? url} alt={`${label} ${i + 1}`} className={`${size} rounded border border-neutral-200 object-cover`} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

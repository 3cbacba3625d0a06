// A back-office form's last row: its submit button (disabled while the request is out) and the outcome.

export function SubmitRow({ label, pending, message, testId }: { label: string; pending: boolean; message: string | null; testId: string }) {
  return (
    <div className="flex items-center gap-3">
      <button type="submit" disabled={pending} className="h-9 rounded bg-neutral-900 px-4 text-sm text-white disabled:opacity-50">
        {label}
      </button>
      {message ? (
        <span role="status" className="text-sm text-neutral-700" data-testid={testId}>
          {message}
        </span>
      ) : null}
    </div>
  );
}

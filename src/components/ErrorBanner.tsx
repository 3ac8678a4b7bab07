import { memo } from 'react';
export const ErrorBanner = memo(function ErrorBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="error" data-testid="error" role="alert">
      {message}
    </div>
  );
});

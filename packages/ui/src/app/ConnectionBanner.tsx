import { useConnection } from '../api/connection.js';
import { Age } from '../shared/Age.js';

/** While the server does not answer: the data on screen stays, and this says how old it is and that actions wait. */
export function ConnectionBanner() {
  const c = useConnection();
  if (c.online) return null;
  return (
    <div className="connection-lost" role="alert">
      <strong>Connection lost</strong> — showing data from <Age since={c.dataFrom} suffix=" ago" />. Actions are
      disabled until the server answers again; this page reconnects by itself.
    </div>
  );
}

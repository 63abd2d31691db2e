// Placeholder until this view is built.
import { EmptyState } from '../../components/states.tsx';

export function ExperimentsView() {
  return <EmptyState title="ExperimentsView" />;
}

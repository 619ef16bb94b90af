import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { SectionData, SectionType } from '../api-types.ts';
import { Button } from '../ui/button.tsx';

export interface OutlineProps {
  sections: readonly SectionData[];
  /** A stable id per section for the drag-and-drop list (kept beside the draft, never saved). */
  ids: readonly string[];
  types: ReadonlyMap<string, SectionType>;
  selected: number | null;
  invalid: ReadonlySet<number>;
  readOnly: boolean;
  onSelect: (index: number) => void;
  onMove: (from: number, to: number) => void;
  onDuplicate: (index: number) => void;
  onRemove: (index: number) => void;
  onToggleHidden: (index: number) => void;
}

const labelOf = (section: SectionData, types: ReadonlyMap<string, SectionType>) => types.get(section.type)?.label ?? section.type;

/**
 * The page's sections in order: select one to edit it; reorder by dragging, or with the keyboard
 * (focus the handle, Space to lift, arrows to move, Space to drop; each step announced) or with
 * the Up/Down buttons; duplicate, hide from visitors (a toggle) and remove.
 */
export function Outline(props: OutlineProps) {
  const { sections, ids, types } = props;
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const name = (id: string | number) => {
    const index = ids.indexOf(String(id));
    return index < 0 ? 'the section' : `${labelOf(sections[index]!, types)} (section ${index + 1})`;
  };
  const position = (id: string | number) => ids.indexOf(String(id)) + 1;
  const pickedUp = (id: string | number) => `Picked up ${name(id)}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`;
  // dnd-kit reports the item over itself right after lifting, in the same render as the lift,
  // so that message would replace the instructions before anyone hears them: it repeats them.
  const announcements: Announcements = {
    onDragStart: ({ active }) => pickedUp(active.id),
    onDragOver: ({ active, over }) =>
      over ? (over.id === active.id ? `${pickedUp(active.id)} It is at position ${position(over.id)} of ${ids.length}.` : `${name(active.id)} is over position ${position(over.id)} of ${ids.length}.`) : `${name(active.id)} is no longer over a position.`,
    onDragEnd: ({ active, over }) => (over ? `${name(active.id)} was dropped at position ${position(over.id)} of ${ids.length}.` : `${name(active.id)} was dropped.`),
    onDragCancel: ({ active }) => `Moving was cancelled. ${name(active.id)} is back where it was.`,
  };
  const end = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    props.onMove(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
  };
  if (sections.length === 0) return <p className="muted">No sections yet. Add one from the list below.</p>;
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={end} accessibility={{ announcements, screenReaderInstructions: { draggable: 'To reorder, press Space, move with the arrow keys, and press Space again to drop.' } }}>
      <SortableContext items={[...ids]} strategy={verticalListSortingStrategy}>
        <ol className="outline" aria-label="Sections of the page">
          {sections.map((section, i) => (
            <OutlineItem key={ids[i]} id={ids[i]!} index={i} count={sections.length} label={labelOf(section, types)} variant={section.variant} hidden={section.hidden === true} {...props} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function OutlineItem({ id, index, count, label, variant, hidden, selected, invalid, readOnly, onSelect, onMove, onDuplicate, onRemove, onToggleHidden }: OutlineProps & { id: string; index: number; count: number; label: string; variant: string | undefined; hidden: boolean }) {
  const sortable = useSortable({ id, disabled: readOnly });
  const style = { transform: CSS.Transform.toString(sortable.transform), transition: sortable.transition };
  const isSelected = selected === index;
  return (
    <li ref={sortable.setNodeRef} style={style} className={`outline-item${isSelected ? ' outline-item-selected' : ''}${invalid.has(index) ? ' outline-item-invalid' : ''}${hidden ? ' outline-item-hidden' : ''}`} data-section-index={index}>
      {!readOnly && (
        <button type="button" className="drag-handle" aria-label={`Reorder ${label} (section ${index + 1})`} {...sortable.attributes} {...sortable.listeners}>
          ⠿
        </button>
      )}
      <button type="button" className="outline-select" aria-pressed={isSelected} onClick={() => onSelect(index)}>
        <span className="outline-label">
          {index + 1}. {label}
        </span>
        {variant && <span className="muted"> · {variant}</span>}
        {hidden && <span className="badge badge-hidden">Hidden</span>}
        {invalid.has(index) && <span className="badge badge-draft">Needs attention</span>}
      </button>
      {!readOnly && (
        <span className="btn-row outline-actions">
          <Button className="btn-small" kind="ghost" disabled={index === 0} onClick={() => onMove(index, index - 1)} aria-label={`Move ${label} (section ${index + 1}) up`}>
            ↑
          </Button>
          <Button className="btn-small" kind="ghost" disabled={index === count - 1} onClick={() => onMove(index, index + 1)} aria-label={`Move ${label} (section ${index + 1}) down`}>
            ↓
          </Button>
          <Button className="btn-small" kind="ghost" onClick={() => onDuplicate(index)} aria-label={`Duplicate ${label} (section ${index + 1})`}>
            Duplicate
          </Button>
          <Button className="btn-small" kind="ghost" aria-pressed={hidden} onClick={() => onToggleHidden(index)} aria-label={`Hide ${label} (section ${index + 1}) from visitors`}>
            Hide
          </Button>
          <Button className="btn-small" kind="ghost" onClick={() => onRemove(index)} aria-label={`Remove ${label} (section ${index + 1})`}>
            Remove
          </Button>
        </span>
      )}
    </li>
  );
}

/**
 * The chair's settings for the speakers' list. They are part of the session record (the event
 * `floor.settings_changed` carries them whole), so a replay applies the same rules as the live room.
 */
import { z } from 'zod';
import { FLOOR_KINDS, type TFloorKind } from '../../shared/domain';
import { zLine } from '../../shared/schemas';

const zSeconds = (min: number, max: number) => z.number().int().min(min).max(max);

/** A speaking-time budget shared by a group of delegations (a region, a stakeholder type…). */
export const ZSpeakingBudget = z.strictObject({
  label: zLine(80),
  delegationIds: z.array(z.uuid()).min(1).max(200),
  seconds: zSeconds(30, 36_000),
});
export type TSpeakingBudget = z.infer<typeof ZSpeakingBudget>;

export const ZFloorSettings = z
  .strictObject({
    /** Waiting entries a delegation may hold besides a point of order (1 unless the chair allows more). */
    maxEntriesPerDelegation: z.number().int().min(1).max(10),
    /** Whether observers (observer delegations and observers without one) may ask for the floor. */
    observersMayTakeFloor: z.boolean(),
    /** Speaking-time limit of a speech, by kind of request. */
    limitSeconds: z.strictObject(
      Object.fromEntries(FLOOR_KINDS.map((kind) => [kind, zSeconds(10, 3_600)])) as Record<TFloorKind, ReturnType<typeof zSeconds>>,
    ),
    /** The timer turns to "warning" this many seconds before the limit. */
    warningSeconds: zSeconds(0, 600),
    budgets: z.array(ZSpeakingBudget).max(20),
  })
  .refine((settings) => {
    const ids = settings.budgets.flatMap((budget) => budget.delegationIds);
    return new Set(ids).size === ids.length;
  }, 'a delegation belongs to one budget group at most');
export type TFloorSettings = z.infer<typeof ZFloorSettings>;

/** The settings of a session before the chair changes anything. */
export const DEFAULT_FLOOR_SETTINGS: TFloorSettings = {
  maxEntriesPerDelegation: 1,
  observersMayTakeFloor: false,
  limitSeconds: { regular: 180, point_of_order: 60, right_of_reply: 60, question: 60 },
  warningSeconds: 30,
  budgets: [],
};

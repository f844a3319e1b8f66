// Every risk rule, in ID order. IDs are stable: a retired rule keeps its number unused.
import type { RiskRule } from "../rule.ts";
import { protectedFromAnyBranch } from "./kb101-protected-from-any-branch.ts";
import { wideRepositoryOnProtected } from "./kb102-wide-repository-on-protected.ts";
import { pullRequestOnProtected } from "./kb103-pull-request-on-protected.ts";
import { wideRepository } from "./kb104-wide-repository.ts";
import { pullRequestWrite } from "./kb105-pull-request-write.ts";
import { environmentBindingDropped } from "./kb106-environment-binding-dropped.ts";
import { environmentUnprotected } from "./kb107-environment-unprotected.ts";
import { writeOnProtected } from "./kb108-write-on-protected.ts";
import { tokenLifetimeGrowsMuch } from "./kb109-token-lifetime-grows-much.ts";
import { issuerUrlChanged } from "./kb110-issuer-url-changed.ts";
import { write } from "./kb111-write.ts";
import { tokenLifetimeGrows } from "./kb112-token-lifetime-grows.ts";
import { rotationRelaxed } from "./kb113-rotation-relaxed.ts";
import { runnerUnpinned } from "./kb114-runner-unpinned.ts";
import { workflowUnpinned } from "./kb115-workflow-unpinned.ts";
import { newAccessRule } from "./kb116-new-access.ts";
import { accessRemoved } from "./kb117-access-removed.ts";
import { tightened } from "./kb118-tightened.ts";
import { grantRenamed } from "./kb119-grant-renamed.ts";

export const riskRules: readonly RiskRule[] = [
  protectedFromAnyBranch,
  wideRepositoryOnProtected,
  pullRequestOnProtected,
  wideRepository,
  pullRequestWrite,
  environmentBindingDropped,
  environmentUnprotected,
  writeOnProtected,
  tokenLifetimeGrowsMuch,
  issuerUrlChanged,
  write,
  tokenLifetimeGrows,
  rotationRelaxed,
  runnerUnpinned,
  workflowUnpinned,
  newAccessRule,
  accessRemoved,
  tightened,
  grantRenamed,
];

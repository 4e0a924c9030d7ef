import { Router } from 'express';
import type { DetectionService } from '../detection/service';

/**
 * `GET /api/v1/detectors`: each configured detector's state: warm start (from saved state or
 * history), last and first evaluation runs, and per series its last point's baseline and score.
 */
export function detectorsRouter(detection: DetectionService): Router {
  const router = Router();
  router.get('/api/v1/detectors', (_req, res) => {
    res.json({ detectors: detection.status() });
  });
  return router;
}

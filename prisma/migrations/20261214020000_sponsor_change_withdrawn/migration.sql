-- A PENDING sponsor change its requester withdraws (撤回): not an open status, so the member may be asked for again.
ALTER TYPE "SponsorChangeStatus" ADD VALUE 'WITHDRAWN';

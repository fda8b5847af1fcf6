// Whether a process id belongs to a live process, to tell a run or lock left behind by a killed process from one
// that is still in use. Signal 0 checks existence without sending anything; EPERM means it exists but belongs to
// someone else — alive all the same.
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Failures of the machine rather than of the data: a full disk, a read-only
// or forbidden folder, too many open files. They are reported as what they
// are ("the disk is full"), never as a damaged file. libvips (sharp) reports
// them in its own words, which are matched as well.

const BY_CODE: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the disk is mounted read-only',
  EACCES: 'permission denied (check the folder\'s owner and permissions)',
  EPERM: 'permission denied (check the folder\'s owner and permissions)',
  EIO: 'the disk could not be written or read (an I/O error)',
  EMFILE: 'too many open files (raise the open-file limit, ulimit -n)',
  ENFILE: 'too many open files on this machine',
};

const BY_TEXT: [RegExp, string][] = [
  [/no space left on device|disk full/i, BY_CODE.ENOSPC!],
  [/quota exceeded/i, BY_CODE.EDQUOT!],
  [/read-only file system/i, BY_CODE.EROFS!],
  [/permission denied/i, BY_CODE.EACCES!],
  [/too many open files/i, BY_CODE.EMFILE!],
  [/input\/output error/i, BY_CODE.EIO!],
];

/** What went wrong with the disk, in a few words, or undefined if `e` is not a storage failure. */
export function storageProblem(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && BY_CODE[code]) return BY_CODE[code];
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return BY_TEXT.find(([re]) => re.test(message))?.[1];
}

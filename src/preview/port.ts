/** Where csi preview listens unless told otherwise. */
export const DEFAULT_PORT = 4177;

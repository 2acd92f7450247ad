// dns-packet's table of type numbers, which @types/dns-packet does not declare.
declare module 'dns-packet/types.js' {
  const types: {
    /** The mnemonic of a type number (`UNKNOWN_<n>` for one it does not know). */
    toString(type: number): string;
  };
  export default types;
}

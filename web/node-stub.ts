// Stand-ins for the Node built-ins that src/ imports for reading files. The
// page never reads files; if it ever tried, it should say why it failed.
function unavailable(name: string) {
  return () => {
    throw new Error(`${name} is not available in the browser (the page generates graphs; it cannot load files)`);
  };
}
export const existsSync = unavailable('fs.existsSync');
export const readFileSync = unavailable('fs.readFileSync');
export const statSync = unavailable('fs.statSync');
export const openSync = unavailable('fs.openSync');
export const readSync = unavailable('fs.readSync');
export const closeSync = unavailable('fs.closeSync');
export class StringDecoder {
  constructor() {
    unavailable('string_decoder.StringDecoder')();
  }
}
export const dirname = unavailable('path.dirname');
export const isAbsolute = unavailable('path.isAbsolute');
export const resolve = unavailable('path.resolve');
export const extname = unavailable('path.extname');
export const basename = unavailable('path.basename');
export const join = unavailable('path.join');
export const fileURLToPath = unavailable('url.fileURLToPath');
export default {};

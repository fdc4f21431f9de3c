// Moved to www/element/format.js (shipped as borgerblik/element); kept so older imports still work.
export * from '../element/format.js';

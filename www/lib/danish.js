// Moved to www/element/danish.js (shipped as borgerblik/element); kept so older imports still work.
export * from '../element/danish.js';

// Types for the few exceljs 4.4.0 internals the report workbook reuses to
// fill the streaming writer's gaps (see report-workbook.ts). Pinned to
// exceljs 4.4.0: exceljs has had no release since, and the tests read every
// file back, so a change in these internals fails loudly.
declare module 'exceljs/lib/xlsx/xform/core/content-types-xform.js' {
  export default class ContentTypesXform {
    toXml(model: unknown): string;
  }
}
declare module 'exceljs/lib/xlsx/xform/core/app-xform.js' {
  export default class AppXform {
    toXml(model: unknown): string;
  }
}
declare module 'exceljs/lib/xlsx/xform/book/workbook-xform.js' {
  export default class WorkbookXform {
    prepare(model: unknown): void;
    toXml(model: unknown): string;
  }
}
declare module 'exceljs/lib/xlsx/xform/sheet/cf/conditional-formattings-xform.js' {
  export default class ConditionalFormattingsXform {
    prepare(model: unknown, options: unknown): void;
    toXml(model: unknown): string;
  }
}

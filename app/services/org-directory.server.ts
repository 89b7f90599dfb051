import { database } from "~/models/unit-of-work.server";
import { listDirectoryOrganizations } from "~/models/organization.server";

/**
 * The org directory the pickers offer (members of a document, participants of a consultation, the
 * orgs of an item): the active orgs of the provinces concerned — the directory is not secret within a
 * deployment's province.
 */

/** The province of a region path ("/p/c/k/" → "/p/"). */
export function provinceRoot(path: string): string {
  const first = path.split("/").filter(Boolean)[0];
  return first ? `/${first}/` : path;
}

/** Active orgs of the provinces of the given region paths, by region and name. */
export async function listOrgDirectory(regionPaths: readonly string[]) {
  return listDirectoryOrganizations(database(), [...new Set(regionPaths.map(provinceRoot))]);
}

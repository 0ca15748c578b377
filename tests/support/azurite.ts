/** Tests start the same Azurite launcher the local stack uses. */
export { startAzurite, freePort, AZURITE_ACCOUNT, AZURITE_KEY, type AzuriteHandle } from "../../functions/host/azurite.ts";

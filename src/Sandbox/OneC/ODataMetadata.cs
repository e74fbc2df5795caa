namespace Router.Sandbox.OneC;

/// <summary>The emulator's $metadata: the two entity sets it serves, in the EDMX (OData v3) shape 1C publishes.</summary>
internal static class ODataMetadata
{
    public const string Edmx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">
          <edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="3.0">
            <Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="StandardODATA">
              <EntityType Name="Catalog_Контрагенты">
                <Key><PropertyRef Name="Ref_Key"/></Key>
                <Property Name="Ref_Key" Type="Edm.Guid" Nullable="false"/>
                <Property Name="DataVersion" Type="Edm.String"/>
                <Property Name="DeletionMark" Type="Edm.Boolean"/>
                <Property Name="Parent_Key" Type="Edm.Guid"/>
                <Property Name="IsFolder" Type="Edm.Boolean"/>
                <Property Name="Code" Type="Edm.String"/>
                <Property Name="Description" Type="Edm.String"/>
                <Property Name="НаименованиеПолное" Type="Edm.String"/>
                <Property Name="ИНН" Type="Edm.String"/>
                <Property Name="КПП" Type="Edm.String"/>
                <Property Name="Predefined" Type="Edm.Boolean"/>
                <Property Name="PredefinedDataName" Type="Edm.String"/>
              </EntityType>
              <EntityType Name="Document_ЗаказКлиента">
                <Key><PropertyRef Name="Ref_Key"/></Key>
                <Property Name="Ref_Key" Type="Edm.Guid" Nullable="false"/>
                <Property Name="DataVersion" Type="Edm.String"/>
                <Property Name="DeletionMark" Type="Edm.Boolean"/>
                <Property Name="Number" Type="Edm.String"/>
                <Property Name="Date" Type="Edm.DateTime"/>
                <Property Name="Posted" Type="Edm.Boolean"/>
                <Property Name="Контрагент_Key" Type="Edm.Guid"/>
                <Property Name="СуммаДокумента" Type="Edm.Double"/>
                <Property Name="Комментарий" Type="Edm.String"/>
              </EntityType>
              <EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">
                <EntitySet Name="Catalog_Контрагенты" EntityType="StandardODATA.Catalog_Контрагенты"/>
                <EntitySet Name="Document_ЗаказКлиента" EntityType="StandardODATA.Document_ЗаказКлиента"/>
              </EntityContainer>
            </Schema>
          </edmx:DataServices>
        </edmx:Edmx>
        """;
}
